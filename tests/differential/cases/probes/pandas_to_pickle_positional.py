# pd.to_pickle(df, "x.pkl") writes a file, path given positionally.
# %%
import pandas as pd
df = pd.DataFrame({"a": [1]})
# %%
pd.to_pickle(df, "x.pkl")
