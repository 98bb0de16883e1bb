# An upper-case constant read from rcParams after an earlier cell set it.
# %%
import matplotlib
matplotlib.rcParams["lines.linewidth"] = 4.0
# %%
WIDTH = matplotlib.rcParams["lines.linewidth"]
print(WIDTH)
