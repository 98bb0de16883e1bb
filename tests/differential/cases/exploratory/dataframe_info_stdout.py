# df.info() prints to stdout as an inspection; if it is removed, its output must be reported as removed.
# expect: same
# %%
import pandas as pd
df = pd.DataFrame({"a": [1, 2]})
# %%
df.info()
# %%
df["b"] = df["a"] * 2
print(df["b"].tolist())
