# np.ndarray.tofile(a, path) called through the class writes a file.
# %%
import numpy as np
a = np.arange(3)
# %%
np.ndarray.tofile(a, "a.bin")
