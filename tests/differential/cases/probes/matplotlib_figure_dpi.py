# The default figure dpi printed after pyplot is imported.
# %%
import matplotlib.pyplot as plt
print(plt.rcParams["figure.dpi"])
