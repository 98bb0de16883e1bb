# df.fillna(0, **opts) where opts carries inplace=True.
# %%
import pandas as pd
import numpy as np
df = pd.DataFrame({"a": [1.0, np.nan]})
opts = {"inplace": True}
# %%
df.fillna(0, **opts)
# %%
print(df["a"].tolist())
