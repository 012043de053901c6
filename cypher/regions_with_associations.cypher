// Religious associations per region and confession.
MATCH (a:ReligiousAssociation)-[:LOCATED_IN]->(r:Region)
OPTIONAL MATCH (a)-[:BELONGS_TO]->(c:Confession)
RETURN r.id AS region, c.id AS confession, count(a) AS associations
ORDER BY region, confession;
