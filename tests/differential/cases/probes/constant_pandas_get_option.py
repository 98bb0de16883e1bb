# An upper-case constant read from a pandas option that an earlier cell set.
# %%
import pandas as pd
pd.set_option("display.precision", 2)
# %%
PRECISION = pd.get_option("display.precision")
print(PRECISION)
