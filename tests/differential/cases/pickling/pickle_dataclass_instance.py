# A dataclass instance from the notebook is pickled to a file and read back.
# expect: same
# %%
import pickle
from dataclasses import dataclass
@dataclass
class Point:
    x: int
    y: int
# %% [markdown]
# ## Save
# %%
with open("point.pkl", "wb") as handle:
    pickle.dump(Point(1, 2), handle)
# %% [markdown]
# ## Load
# %%
with open("point.pkl", "rb") as handle:
    loaded = pickle.load(handle)
print(loaded)
