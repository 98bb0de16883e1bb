# An upper-case Series constant built after pandas' string inference option was changed.
# %%
import pandas as pd
pd.set_option("future.infer_string", False)
# %%
NAMES = pd.Series(["a", "b"])
print(NAMES.dtype)
