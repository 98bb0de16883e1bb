# pd.Series(gen) shown consumes the generator.
# %%
import pandas as pd
gen = (x for x in range(3))
# %%
pd.Series(gen)
# %%
print(list(gen))
