# A dataclass holds arrays; a section replaces one field and another reads it.
# expect: same
# %%
from dataclasses import dataclass, field
@dataclass
class Split:
    train: list = field(default_factory=list)
    test: list = field(default_factory=list)
split = Split([1, 2], [3])
# %% [markdown]
# ## Replace test
# %%
split.test = [7, 8]
# %% [markdown]
# ## Read
# %%
print(split.test, split)
