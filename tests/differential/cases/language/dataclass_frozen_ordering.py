# Frozen, ordered dataclasses sorted and hashed.
# expect: same
# %%
from dataclasses import dataclass
@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
# %% [markdown]
# ## Sort
# %%
versions = sorted({Version(1, 2), Version(0, 9), Version(1, 0)})
print(versions)
