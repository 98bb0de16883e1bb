# A `%%bash` cell writes a file a later cell reads.
# %%
%%bash
echo "from bash" > bash.txt
# %%
print(open("bash.txt").read().strip())
