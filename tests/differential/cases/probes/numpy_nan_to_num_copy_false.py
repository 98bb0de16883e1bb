# np.nan_to_num(a, copy=False) shown mutates a.
# %%
import numpy as np
a = np.array([np.nan, 1.0])
# %%
np.nan_to_num(a, copy=False)
# %%
print(a.tolist())
