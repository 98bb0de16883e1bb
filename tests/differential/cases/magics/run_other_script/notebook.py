# `%run other.py` runs a script in the folder and brings its names into the notebook.
# %%
%run other.py
# %% [markdown]
# ## Use it
# %%
print(helper(4), CONSTANT)
