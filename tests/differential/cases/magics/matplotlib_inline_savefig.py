# `%matplotlib inline`, then a figure drawn and saved in the same cell.
# %%
%matplotlib inline
import matplotlib.pyplot as plt
# %%
fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
ax.plot([0, 1, 2], [2, 0, 1])
fig.savefig("line.png")
