# try/except NameError around a function that is only defined in a later cell.
# %%
try:
    helper()
except NameError:
    print("no helper yet")
# %%
def helper():
    print("helper ran")
# %%
helper()
