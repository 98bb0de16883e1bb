# print(summary) of a DataFrame computed by a groupby is a result.
# expect: same
# %%
import pandas as pd
sales = pd.DataFrame({"region": ["n", "s", "n", "s"], "amount": [1, 2, 3, 4]})
# %% [markdown]
# ## Summary by region
# %%
summary = sales.groupby("region")["amount"].sum()
print(summary)
