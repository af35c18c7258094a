# language: fr
Fonctionnalité: Un cabinet comptable déclare pour deux entreprises
  Une entreprise peut confier sa déclaration à son cabinet comptable : elle lui transmet le
  code adhérent et le n° télédéclarant reçus du service. La comptable crée son compte avec les
  identifiants de la première entreprise, en cochant « Je suis tiers déclarant de
  l'entreprise », puis rattache les autres entreprises à son compte avec leurs propres
  identifiants. Sa « liste des regroupées » lui permet de passer d'une entreprise à l'autre ;
  elle ne travaille que sur une entreprise à la fois, et ne voit que les salariés de celle-ci.
  Le journal d'audit garde, pour chaque saisie, qui l'a faite et pour le compte de quelle
  entreprise.

  Contexte:
    Soit le service a enregistré l'adhérent « 00010 », raison sociale « Garage Martin », et lui a envoyé par courrier le n° télédéclarant « 11111111 »
    Et le service a enregistré l'adhérent « 00020 », raison sociale « Boulangerie Petit », et lui a envoyé par courrier le n° télédéclarant « 22222222 »
    Et le service a enregistré l'adhérent « 00030 », raison sociale « Menuiserie Roux », et lui a envoyé par courrier le n° télédéclarant « 33333333 »
    Et Sophie LEMAIRE, expert-comptable au cabinet Compta Plus, a pour adresse e-mail « sophie.lemaire@compta-plus.fr »

  Scénario: La comptable déclare pour ses deux clients, et le journal d'audit dit pour qui
    Quand Sophie crée son compte avec le code adhérent « 00010 » et le n° télédéclarant « 11111111 », en cochant « Je suis tiers déclarant de l'entreprise »
    Et Sophie se connecte avec le mot de passe reçu par e-mail et le change
    Et Sophie rattache à son compte l'entreprise de code adhérent « 00020 », avec le n° télédéclarant « 22222222 », en tiers déclarant
    Alors la liste des regroupées de Sophie est :
      | code adhérent | raison sociale    | rôles          | tiers déclarant |
      | 00010         | Garage Martin     | Administrateur | oui             |
      | 00020         | Boulangerie Petit | Administrateur | oui             |
    Et Sophie travaille pour « Garage Martin »
    Quand Sophie embauche Camille DURAND pour « Garage Martin »
    Et Sophie passe à « Boulangerie Petit »
    Alors Sophie travaille pour « Boulangerie Petit »
    Quand Sophie embauche Louis BERNARD pour « Boulangerie Petit »
    Et Sophie passe à « Garage Martin »
    Alors Sophie voit les salariés de « Garage Martin » :
      | Camille DURAND |
    Et le journal d'audit de « Garage Martin », lu par le service, est :
      | saisie                                                                                        | salarié        | par        | pour le compte de |
      | Adhésion enregistrée : code 00010, Garage Martin                                              |                | le service |                   |
      | Premier administrateur inscrit avec le code adhérent et le n° télédéclarant (tiers déclarant) |                | Sophie     | Garage Martin     |
      | Embauche (CDI, Mécanicienne) le 06/01/2025                                                    | Camille DURAND | Sophie     | Garage Martin     |
    Et le journal d'audit de « Boulangerie Petit », lu par le service, est :
      | saisie                                                                                        | salarié       | par        | pour le compte de |
      | Adhésion enregistrée : code 00020, Boulangerie Petit                                          |               | le service |                   |
      | Premier administrateur inscrit avec le code adhérent et le n° télédéclarant (tiers déclarant) |               | Sophie     | Boulangerie Petit |
      | Embauche (CDI, Mécanicienne) le 06/01/2025                                                    | Louis BERNARD | Sophie     | Boulangerie Petit |

  Scénario: En travaillant pour une entreprise, la comptable est invitée à passer à l'autre pour la voir
    Soit Sophie déclare pour « Garage Martin » et « Boulangerie Petit »
    Et Sophie a embauché Camille DURAND pour « Garage Martin »
    Et Sophie a embauché Louis BERNARD pour « Boulangerie Petit »
    Et Sophie travaille pour « Boulangerie Petit »
    Quand Sophie demande la liste des salariés de « Garage Martin »
    Alors la demande est refusée avec le code MEMBER_NOT_SWITCHED
    Et le message affiché contient « passez-y d'abord (switchMember) »
    Quand Sophie embauche Inès MOREAU pour « Garage Martin »
    Alors la demande est refusée avec le code MEMBER_NOT_SWITCHED
    Quand Sophie demande la liste des salariés de « Menuiserie Roux »
    Alors la liste ne compte personne
    Quand Sophie passe à « Garage Martin »
    Alors Sophie voit les salariés de « Garage Martin » :
      | Camille DURAND |

  Scénario: La comptable ne passe pas à une entreprise qui ne lui est pas rattachée
    Soit Sophie déclare pour « Garage Martin » et « Boulangerie Petit »
    Quand Sophie passe à « Menuiserie Roux »
    Alors la demande est refusée avec le code MEMBER_NOT_FOUND
    Et Sophie travaille toujours pour « Garage Martin »
