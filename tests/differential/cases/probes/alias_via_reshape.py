# a.reshape returns a view; an item assigned through it, then only displayed.
# %%
import numpy as np
a = np.zeros(4)
grid = a.reshape(2, 2)
# %%
grid[0, 0] = 9
# %%
grid
# %%
print(a.tolist())
