# plt.rcdefaults() resets rcParams that a later cell prints.
# %%
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.rcParams["lines.linewidth"] = 7
# %%
plt.rcdefaults()
# %%
print(plt.rcParams["lines.linewidth"])
