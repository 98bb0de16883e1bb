# Read a CSV shipped with the case, aggregate, print.
# expect: same
# %%
import pandas as pd
# %% [markdown]
# ## Load
# %%
df = pd.read_csv("input.csv")
# %% [markdown]
# ## Aggregate
# %%
means = df.groupby("group")["value"].mean()
print(means.round(3).to_dict())
