/** Namespaces of SCORM manifests. Lists accept the spellings authoring tools actually emit. */

/** SCORM 1.2 content packaging (IMS CP 1.1.2); some tools write the imsglobal host. */
export const CP12 = ['http://www.imsproject.org/xsd/imscp_rootv1p1p2', 'http://www.imsglobal.org/xsd/imscp_rootv1p1p2'];
/** SCORM 2004 content packaging (IMS CP 1.1.4). */
export const CP2004 = ['http://www.imsglobal.org/xsd/imscp_v1p1'];
export const ADLCP12 = ['http://www.adlnet.org/xsd/adlcp_rootv1p2'];
export const ADLCP2004 = ['http://www.adlnet.org/xsd/adlcp_v1p3'];
/** Either edition's adlcp; extension lookups accept both because mixed manifests are common. */
export const ADLCP = [...ADLCP12, ...ADLCP2004];
export const IMSSS = ['http://www.imsglobal.org/xsd/imsss'];
export const ADLSEQ = ['http://www.adlnet.org/xsd/adlseq_v1p3'];
export const ADLNAV = ['http://www.adlnet.org/xsd/adlnav_v1p3'];
