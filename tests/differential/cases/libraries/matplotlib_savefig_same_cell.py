# A figure drawn and saved in one cell with the object-oriented API.
# expect: same
# %%
import matplotlib.pyplot as plt
import numpy as np
# %% [markdown]
# ## Plot and save
# %%
fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
ax.bar(["a", "b"], [3, 5])
fig.savefig("bars.png")
plt.close(fig)
