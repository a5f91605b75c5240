# lookalikes.py - regenerates responses/safety/lookalikes.json. Run it from responses/safety/.
# Regenerates the "lookalike-words" guard: dictionary words one typo away from a
# crisis word, listed so the engine treats them as known words (never as typos).
import json,re,glob,sys
crisis=set()
for f in glob.glob('crisis-*.json'):
    for r in json.load(open(f))['rules']:
        for p in r['patterns']:
            for w in re.split(r"[^a-z0-9']+", p.lower()):
                w=w.replace("'","")
                if len(w)>=5: crisis.add(w)
words=set()
for f in ['/usr/share/dict/american-english','/usr/share/dict/british-english']:
    for l in open(f,encoding='utf-8',errors='ignore'):
        w=l.strip()
        if w.islower() and w.isalpha() and len(w)>=5 and w.isascii(): words.add(w)
def one_edit(a,b):
    if a==b: return False
    la,lb=len(a),len(b)
    if abs(la-lb)>1: return False
    if la>lb: a,b,la,lb=b,a,lb,la
    i=0
    while i<la and a[i]==b[i]: i+=1
    if i==la: return True
    if la==lb:
        if a[i+1:]==b[i+1:]: return True
        return i+1<la and a[i]==b[i+1] and a[i+1]==b[i] and a[i+2:]==b[i+2:]
    return a[i:]==b[i+1:]
def inflection(w,c):
    return w in (c+'s',c+'d',c+'es') or c in (w+'s',w+'d',w+'es')
out=set()
for w in words:
    if w in crisis: continue
    for c in crisis:
        if one_edit(w,c) and not inflection(w,c):
            out.add(w); break
bad={'cunts','whore','shitting','wanks','wanking','wanked','anuses','bitching','sexting'}
out=sorted(out-bad)
pats=[];cur=[]
for w in out:
    if len('^ ('+'|'.join(cur+[w])+') $')>950:
        pats.append('^ ('+'|'.join(cur)+') $'); cur=[]
    cur.append(w)
pats.append('^ ('+'|'.join(cur)+') $')
j={"comment":"Generated list, do not edit by hand: everyday words one typo away from a word in the crisis rules (\"loose\" is one letter from \"noose\", \"amused\" from \"abused\", \"showed\" from \"shoved\"). Listing them here makes the engine treat them as known words, so they are never read as a typo of a crisis word. The patterns only match a message that is exactly one such word, so this guard never hides a real crisis. After adding words to crisis rules, regenerate with: python3 tests/safety/lookalikes.py (needs the wamerican and wbritish word lists).",
   "guards":[{"id":"lookalike-words","patterns":pats,"examples":["bothers","amused","loose","goose","turned","showed"]}]}
s=json.dumps(j,indent=1,ensure_ascii=False)
open('lookalikes.json','w').write(s+'\n')
print(len(out),'words',len(pats),'patterns')
