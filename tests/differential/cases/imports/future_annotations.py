# `from __future__ import annotations` in the first cell changes how annotations are stored.
# %%
from __future__ import annotations
# %%
def typed(x: int) -> SomeUndefinedType:
    return x
print(typed.__annotations__)
