# os.chdir into a folder; later relative writes land there.
# expect: same
# %%
import os
os.makedirs("results", exist_ok=True)
# %% [markdown]
# ## Move
# %%
os.chdir("results")
# %% [markdown]
# ## Write
# %%
with open("final.txt", "w") as handle:
    handle.write("done")
print(os.path.basename(os.getcwd()))
