# df["c"] = ... adds a column in one section; the frame is saved to CSV in another.
# expect: same
# %%
import pandas as pd
df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
# %% [markdown]
# ## Feature
# %%
df["c"] = df["a"] * df["b"]
# %% [markdown]
# ## Save
# %%
df.to_csv("features.csv", index=False)
