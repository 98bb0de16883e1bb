# A slice view of an array written through, the view only displayed; the base is printed.
# %%
import numpy as np
arr = np.zeros(4)
view = arr[:2]
# %%
view[:] = 1
# %%
view
# %%
print(arr.tolist())
