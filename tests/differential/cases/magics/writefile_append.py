# `%%writefile -a` appends to a file written earlier.
# %%
%%writefile log.txt
first
# %%
%%writefile -a log.txt
second
# %%
print(open("log.txt").read().split())
