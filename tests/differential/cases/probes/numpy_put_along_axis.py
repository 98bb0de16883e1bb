# np.put_along_axis mutates its first argument in place.
# %%
import numpy as np
a = np.zeros((1, 3))
# %%
np.put_along_axis(a, np.array([[1]]), 5, axis=1)
# %%
print(a.tolist())
