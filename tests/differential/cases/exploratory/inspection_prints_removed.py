# Pure inspections (df.shape, df.describe(), print(df.shape)) may go; the result print stays.
# expect: same
# %%
import pandas as pd
df = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]})
# %%
print(df.shape)
df.describe()
# %% [markdown]
# ## Total
# %%
total = float(df["a"].sum() + df["b"].sum())
print("total", total)
