"""A small TOML writer for scenarios given as dicts and for override values (the standard
library reads TOML but does not write it)."""

from __future__ import annotations

import json
import math
import re
from typing import Any, Mapping

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: Any) -> str:
    k = str(k)
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def value(v: Any, where: str = "value") -> str:
    """One TOML value (dicts become inline tables)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(float(v))  # (NumPy 2 scalars repr as np.float64(…))
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {value(x, f'{where}.{k}')}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x, f"{where}[{i}]") for i, x in enumerate(v)) + "]"
    if hasattr(v, "item") and callable(v.item):  # a NumPy scalar
        return value(v.item(), where)
    raise TypeError(f"{where}: cannot write {type(v).__name__} {v!r} as a TOML value (numbers, strings, booleans, lists and dicts only)")


def dumps(doc: Mapping[str, Any]) -> str:
    """A whole document: scalars and lists first, then each sub-dict as a [table]."""
    lines: list[str] = []

    def table(t: Mapping[str, Any], path: list[str]) -> None:
        subs = []
        for k, v in t.items():
            if isinstance(v, Mapping):
                subs.append((k, v))
            else:
                lines.append(f"{_key(k)} = {value(v, '.'.join(path + [str(k)]))}")
        for k, v in subs:
            p = path + [str(k)]
            lines.append("")
            lines.append("[" + ".".join(_key(x) for x in p) + "]")
            table(v, p)

    table(doc, [])
    return "\n".join(lines).lstrip("\n") + "\n"
