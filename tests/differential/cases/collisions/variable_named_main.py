# A variable named `main` holds data.
# expect: same
# %%
main = {"colour": "blue"}
# %% [markdown]
# ## Use
# %%
print(main["colour"])
