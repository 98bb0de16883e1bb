# get_ipython().system(...) runs a shell command from plain Python syntax.
# %%
get_ipython().system("echo from-shell > shell.txt")
# %%
print(open("shell.txt").read().strip())
