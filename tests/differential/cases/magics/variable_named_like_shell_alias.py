# A variable named `rm` updated with `rm -= 3` in a one-line cell is Python, not the shell alias.
# expect: same
# %%
rm = 5
# %%
rm -= 3
# %%
print(rm)
