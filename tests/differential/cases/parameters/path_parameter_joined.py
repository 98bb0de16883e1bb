# A parameters cell builds a path with os.path.join; the notebook writes there.
# %%
import os
# %% tags=["parameters"]
folder = "out"
target = os.path.join(folder, "data.txt")
# %% [markdown]
# ## Write
# %%
os.makedirs(folder, exist_ok=True)
with open(target, "w") as handle:
    handle.write("ok")
