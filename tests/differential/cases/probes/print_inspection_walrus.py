# print of an inspection whose argument binds a name by walrus.
# %%
import pandas as pd
df = pd.DataFrame({"a": range(5)})
# %%
print(df.head(n := 2))
# %%
print(n)
