# `!echo {name} $name` expands both forms from notebook variables.
# %%
name = "probe"
# %%
!echo {name} $name > echoed.txt
# %%
print(open("echoed.txt").read().strip())
