# An assert that fails stops the notebook.
# expect: same
# notebook: fails
# %%
total = 1 + 1
print("checking")
# %%
assert total == 3, "arithmetic"
