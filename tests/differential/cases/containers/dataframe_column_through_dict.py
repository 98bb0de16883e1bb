# A DataFrame stored in a dict is changed in place through the dict; a name bound earlier sees it.
# %%
import pandas as pd
frames = {"train": pd.DataFrame({"a": [1, 2]})}
train = frames["train"]
# %% [markdown]
# ## Add a column
# %%
frames["train"]["b"] = frames["train"]["a"] * 3
# %% [markdown]
# ## Read
# %%
print(list(train.columns), train["b"].tolist())
