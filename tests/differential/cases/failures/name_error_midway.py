# A NameError in the middle of a notebook: everything printed before it must be printed by the script too.
# notebook: fails
# %%
print("one")
# %%
print(undefined_name)
# %%
print("three")
