# An upper-case constant computed by numpy after np.seterr(all="raise") was set: the division fails only after.
# %%
import numpy as np
np.seterr(all="ignore")
# %%
import warnings
warnings.simplefilter("error")
# %%
RATIO = np.float64(1.0) / np.float64(0.0)
print(RATIO)
