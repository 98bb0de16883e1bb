# np.asarray returns the same array; an item assigned through it, then only displayed.
# %%
import numpy as np
a = np.zeros(3)
b = np.asarray(a)
# %%
b[0] = 9
# %%
b
# %%
print(a.tolist())
