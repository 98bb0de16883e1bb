# df.dropna(inplace=True) in one section; a later section reads the cleaned frame.
# expect: same
# %%
import pandas as pd
df = pd.DataFrame({"a": [1.0, None, 3.0], "b": [1, 2, 3]})
# %% [markdown]
# ## Clean
# %%
df.dropna(inplace=True)
# %% [markdown]
# ## Use
# %%
print(df["b"].tolist())
