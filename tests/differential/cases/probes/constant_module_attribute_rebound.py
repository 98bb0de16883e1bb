# An upper-case constant that reads a module attribute changed by an earlier cell.
# %%
import string
string.ascii_letters = "xyz"
# %%
LETTERS = string.ascii_letters.upper()
print(LETTERS)
