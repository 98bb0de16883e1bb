# A value bound from plt.get_cmap is written with .tofile: a name from plt.* is not plot-only.
# expect: same
# %%
import numpy as np
import matplotlib.pyplot as plt
colors = plt.get_cmap("viridis")(np.linspace(0, 1, 4))
# %%
colors.tofile("colors.bin")
