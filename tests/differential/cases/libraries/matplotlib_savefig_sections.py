# A figure built in one cell and saved in the next (the inline backend closes figures when a cell ends).
# %%
import matplotlib.pyplot as plt
# %% [markdown]
# ## Plot
# %%
plt.figure(figsize=(2, 2), dpi=40)
plt.plot([0, 1], [1, 0])
# %% [markdown]
# ## Save
# %%
plt.savefig("saved.png")
