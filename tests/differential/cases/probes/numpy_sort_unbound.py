# np.ndarray.sort(a) called through the class sorts in place.
# %%
import numpy as np
a = np.array([3, 1, 2])
# %%
np.ndarray.sort(a)
# %%
print(a.tolist())
