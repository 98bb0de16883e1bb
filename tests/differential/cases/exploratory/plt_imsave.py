# plt.imsave writes an image file: a plotting module's call with an output target.
# expect: same
# %%
import numpy as np
import matplotlib.pyplot as plt
pixels = np.arange(16, dtype=float).reshape(4, 4)
# %%
plt.imsave("pixels.png", pixels, cmap="gray")
