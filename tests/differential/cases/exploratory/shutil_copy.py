# shutil.copy is named like an inspection but copies a file; the copy must still be written.
# expect: same
# %%
import shutil
# %% [markdown]
# ## Write the data
# %%
with open("data.txt", "w") as handle:
    handle.write("1,2,3\n")
# %% [markdown]
# ## Back it up
# %%
shutil.copy("data.txt", "backup.txt")
