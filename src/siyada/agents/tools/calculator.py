"""calculator: arithmetic parsed with ``ast`` and evaluated node by node — never ``eval``.

Only numbers, + - * / // % **, parentheses and a few functions are accepted; exponents and
results are bounded so "9**9**9" is refused instead of freezing the server.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any, ClassVar

from siyada.agents.tools.base import ToolContext, ToolError, ToolResult, require

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_FUNCS: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt,
    "abs": abs,
    "round": round,
    "min": min,
    "max": max,
    "floor": math.floor,
    "ceil": math.ceil,
    "log": math.log,
    "exp": math.exp,
}
_CONSTS = {"pi": math.pi, "e": math.e}
MAX_EXPONENT = 1000
MAX_MAGNITUDE = 1e300
MAX_CHARS = 500
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def evaluate(expression: str) -> float | int:
    """Evaluate an arithmetic expression safely; raises ToolError on anything else."""
    expression = expression.replace("×", "*").replace("÷", "/").replace("^", "**")
    expression = _DECIMAL_COMMA.sub(".", expression)  # "1,5" is how French writes 1.5
    if len(expression) > MAX_CHARS:
        raise ToolError(f"expression longer than {MAX_CHARS} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise ToolError(f"not an arithmetic expression: {expression!r}") from None
    try:
        value = _eval(tree.body)
    except ZeroDivisionError:
        raise ToolError("division by zero") from None
    except (OverflowError, ValueError, TypeError) as exc:
        raise ToolError(f"cannot compute: {exc}") from None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _eval(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.Name) and node.id in _CONSTS:
        return _CONSTS[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ToolError(f"exponent larger than {MAX_EXPONENT}")
        value = _BINARY[type(node.op)](left, right)
        if isinstance(value, complex) or abs(value) > MAX_MAGNITUDE:
            raise ToolError("result out of range")
        return value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords:
        return _FUNCS[node.func.id](*[_eval(a) for a in node.args])
    raise ToolError(f"unsupported element in expression: {type(node).__name__}")


class Calculator:
    name = "calculator"
    description = "Compute an arithmetic expression, e.g. '1200 * 0.15 + 30' or 'sqrt(2)'."
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"expression": {"type": "string", "description": "Arithmetic expression."}},
        "required": ["expression"],
    }

    def __init__(self, config: dict[str, Any], context: ToolContext) -> None:
        pass

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        expression = require(arguments, "expression")
        return ToolResult(content=f"{expression} = {evaluate(expression)}")
