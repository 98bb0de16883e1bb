# A value displayed as a cell's last expression is not stdout; the prints around it are.
# expect: same
# %%
x = 5
print("x is set")
x * 2
# %%
print("end", x)
