# print of an inspection next to a call with an effect.
# %%
import pandas as pd
df = pd.DataFrame({"a": range(3)})
it = iter([1, 2, 3])
# %%
print(df.shape, next(it))
# %%
print(list(it))
